"""Experiments: designs, the runner, the results store, figures and the command line."""
