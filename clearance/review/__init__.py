"""Read a finished run's marts back for a reviewer: one person's decision trails, or two policies side by side."""
