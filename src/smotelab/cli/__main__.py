"""``python -m smotelab.cli``."""

from ._main import main

raise SystemExit(main())
