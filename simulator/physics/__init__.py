"""The simulated chair's body: trajectories, moving parts and how a model's mechanics set them."""
