"""Sources layer: all file and network I/O for statistics."""
