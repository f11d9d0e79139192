"""The chair's side of the Rongtai H10 key protocol: framing, firmware and status report."""
