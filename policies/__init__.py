"""Incentive packages: typed lever blocks (schema) turned into yearly numeric terms."""
