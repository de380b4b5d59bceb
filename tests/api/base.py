from django.core.cache import cache
from django.test import TestCase

from home.cache.version import reset_content_version

from .factories import World


class ApiTestCase(TestCase):
    """A small world built once per class: two sites, one platform with meetings, a Concept."""

    meetings = 2
    recommendations = 2

    @classmethod
    def setUpTestData(cls):
        cls.world = World(meetings=cls.meetings)
        cls.world.add_concept(recommendations=cls.recommendations)

    def setUp(self):
        cache.clear()  # throttling state
        reset_content_version()  # see tests/conftest.py

    def get(self, url, status=200, **headers):
        response = self.client.get(url, headers=headers)
        self.assertEqual(response.status_code, status, response.content[:2000])
        return response

    def json(self, url, status=200, **headers):
        return self.get(url, status, **headers).json()

    def ids(self, url, **headers):
        return [item["id"] for item in self.json(url, **headers)["results"]]
