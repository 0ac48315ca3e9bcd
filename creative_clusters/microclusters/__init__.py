"""microclusters layer."""
