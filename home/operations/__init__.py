"""Running the platform: availability, health checks, request logs and the web worker's life."""
