"""``python -m creative_clusters``."""

from creative_clusters.cli import main

main()
