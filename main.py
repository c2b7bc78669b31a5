"""Run careerbot from a checkout: ``python main.py`` is the same as the ``careerbot`` command."""

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
