"""A simulated massage chair: virtual firmware and physics per protocol family, on a Clock."""
