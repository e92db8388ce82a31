"""``python -m experiments.report RUN_DIR``: the same as ``consortium-report``."""

from experiments.report.cli import main

if __name__ == "__main__":
    main()
