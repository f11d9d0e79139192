"""The simulated Korean wired-remote chair (``korean-ascii``): its line, firmware and display."""
