"""Signed webhooks (Standard Webhooks): subscribers, events on publish/unpublish/delete, delivery
from the task runner with retries. See docs/api.md "Webhooks"."""
