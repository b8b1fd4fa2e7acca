"""`python -m spindetect.cli ...`, the same as the `spindetect` command."""

from ._app import main

if __name__ == "__main__":
    main()
