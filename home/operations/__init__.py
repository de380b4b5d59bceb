"""Running the platform: availability, health checks and request logs."""
