"""``python -m chairctl``: the same command line (and app) as the ``chairctl`` console script."""

from chairctl.cli import main

if __name__ == "__main__":
    main()
