"""``python -m bot`` runs the careerbot command line."""

from .cli import main

raise SystemExit(main())
