"""smotelab's test suite (a package, so that ``tests.<module>`` imports resolve here and not
to a ``tests`` package another distribution installs)."""
