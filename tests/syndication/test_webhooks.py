"""Signed webhooks: what a receiver gets and how it verifies it, retries with backoff, nothing
before (or without) the commit, the safety rule for private addresses, the admin and the
command."""

import base64
import hashlib
import hmac
import io
import json
from unittest import mock

from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase, override_settings
from django.utils import timezone

from home.models import ContentPage
from syndication.models import WebhookDelivery, WebhookSubscriber
from syndication.webhooks import delivery as delivery_module
from syndication.webhooks import signing
from tests.api.factories import World, add, restrict, translate

from .receiver import Receiver


def receiver_verifies(secret, headers, body):
    """Verification as a receiver writes it from the Standard Webhooks spec (no project code)."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(sig.split(",", 1)[1], expected)
        for sig in headers["webhook-signature"].split()
        if sig.startswith("v1,")
    )


class WebhookTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World()

    def subscribe(self, url, **fields):
        return WebhookSubscriber.objects.create(name="Test district", url=url, **fields)

    def publish_page(self, title="Test text page"):
        with self.captureOnCommitCallbacks(execute=True):
            return add(self.world.mhmp, ContentPage, title=title)


class DeliveryTests(WebhookTestCase):
    def test_receiver_gets_a_signed_event_it_can_verify(self):
        with Receiver() as receiver:
            subscriber = self.subscribe(receiver.url)
            page = self.publish_page()
        self.assertEqual(len(receiver.requests), 1)
        headers, body, _ = receiver.requests[0]
        self.assertTrue(receiver_verifies(subscriber.secret, headers, body))
        self.assertTrue(signing.verify(subscriber.secret, headers, body))
        event = json.loads(body)
        self.assertEqual(event["type"], "content.published")
        self.assertEqual(event["resource"], "pages")
        self.assertEqual(event["id"], str(page.translation_key))
        self.assertEqual(event["locale"], "cs")
        self.assertEqual(
            event["url"], f"http://mhmp.localhost/api/v1/pages/{page.translation_key}/?locale=cs"
        )
        self.assertEqual(self.client.get(event["url"]).json()["title"], "Test text page")
        self.assertEqual(headers["content-type"], "application/json")
        delivery = WebhookDelivery.objects.get()
        self.assertEqual(headers["webhook-id"], delivery.message_id)
        self.assertEqual((delivery.status, delivery.attempts), ("succeeded", 1))

    def test_a_tampered_body_or_another_secret_or_an_old_timestamp_fails_verification(self):
        with Receiver() as receiver:
            subscriber = self.subscribe(receiver.url)
            self.publish_page()
        headers, body, _ = receiver.requests[0]
        tampered = body.replace(b"content.published", b"content.deleted")
        self.assertFalse(receiver_verifies(subscriber.secret, headers, tampered))
        with self.assertRaises(signing.InvalidSignature):
            signing.verify(subscriber.secret, headers, tampered)
        with self.assertRaises(signing.InvalidSignature):
            signing.verify(signing.new_secret(), headers, body)
        late = int(headers["webhook-timestamp"]) + signing.TOLERANCE_SECONDS + 1
        with self.assertRaises(signing.InvalidSignature):
            signing.verify(subscriber.secret, headers, body, now=late)

    def test_signature_matches_the_standard_webhooks_example(self):
        # The example of the Standard Webhooks specification (spec/standard-webhooks.md).
        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        body = b'{"test": 2432232314}'
        self.assertEqual(
            signing.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        )

    def test_subscriber_filters_by_resource_and_language(self):
        with Receiver() as receiver:
            self.subscribe(receiver.url, resources=["meetings"])
            self.subscribe(receiver.url, languages=["en"])
            page = self.publish_page()
            self.assertEqual(receiver.requests, [])
            with self.captureOnCommitCallbacks(execute=True):
                translate(page, "en")
        [(_, body, _)] = receiver.requests
        self.assertEqual(json.loads(body)["type"], "translation.published")
        self.assertEqual(json.loads(body)["locale"], "en")

    def test_unpublish_and_delete_are_announced(self):
        page = self.publish_page()
        with Receiver() as receiver:
            self.subscribe(receiver.url)
            with self.captureOnCommitCallbacks(execute=True):
                page.unpublish()
            with self.captureOnCommitCallbacks(execute=True):
                page.save_revision().publish()
            with self.captureOnCommitCallbacks(execute=True):
                ContentPage.objects.get(pk=page.pk).delete()
        types = [json.loads(body)["type"] for _, body, _ in receiver.requests]
        # Wagtail unpublishes a live page before deleting it: both are announced.
        self.assertEqual(
            types,
            ["content.unpublished", "content.published", "content.unpublished", "content.deleted"],
        )

    def test_a_private_page_is_not_announced(self):
        page = add(self.world.mhmp, ContentPage, title="Private")
        restrict(page)
        with Receiver() as receiver:
            self.subscribe(receiver.url)
            with self.captureOnCommitCallbacks(execute=True):
                page.save_revision().publish()
        self.assertEqual(receiver.requests, [])

    def test_snippet_publish_is_announced(self):
        with Receiver() as receiver:
            self.subscribe(receiver.url)
            with self.captureOnCommitCallbacks(execute=True):
                self.world.venue.save_revision().publish()
        [(_, body, _)] = receiver.requests
        self.assertEqual(json.loads(body)["resource"], "venues")


class AfterCommitTests(WebhookTestCase):
    def test_a_rollback_sends_nothing(self):
        with Receiver() as receiver:
            self.subscribe(receiver.url)
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                try:
                    with transaction.atomic():
                        add(self.world.mhmp, ContentPage, title="Rolled back")
                        raise RuntimeError("the editor's transaction fails")
                except RuntimeError:
                    pass
        self.assertEqual(callbacks, [])
        self.assertEqual(receiver.requests, [])
        self.assertFalse(WebhookDelivery.objects.exists())

    def test_nothing_is_sent_before_the_commit(self):
        with Receiver() as receiver:
            self.subscribe(receiver.url)
            with self.captureOnCommitCallbacks(execute=False) as callbacks:
                add(self.world.mhmp, ContentPage, title="Not yet committed")
            self.assertEqual(receiver.requests, [])
            self.assertFalse(WebhookDelivery.objects.exists())
            for callback in callbacks:
                callback()
            self.assertEqual(len(receiver.requests), 1)


class RetryTests(WebhookTestCase):
    def setUp(self):
        self.subscriber = self.subscribe("http://district.example/hook")
        self.delivery = WebhookDelivery.objects.create(
            subscriber=self.subscriber, message_id="msg_1", event_type="x", body="{}"
        )

    @override_settings(WEBHOOK_RETRY_BASE_SECONDS=30, WEBHOOK_MAX_ATTEMPTS=4)
    def test_failures_back_off_exponentially_then_give_up(self):
        delays = []
        with mock.patch.object(delivery_module, "post", return_value=503) as post:
            for _ in range(4):
                before = timezone.now()
                delivery = delivery_module.attempt(self.delivery.pk)
                if delivery.next_attempt_at:
                    delays.append(round((delivery.next_attempt_at - before).total_seconds()))
        self.assertEqual(delays, [30, 60, 120])
        self.assertEqual(post.call_count, 4)
        self.assertEqual((delivery.status, delivery.attempts), ("failed", 4))
        self.assertEqual(delivery.last_error, "HTTP 503")
        # Retries keep the message id (receivers deduplicate on it).
        self.assertEqual({call.args[2]["webhook-id"] for call in post.call_args_list}, {"msg_1"})
        self.assertIsNone(delivery_module.attempt(self.delivery.pk))  # no more attempts

    def test_a_retry_that_succeeds_ends_the_delivery(self):
        with mock.patch.object(delivery_module, "post", side_effect=[OSError("refused"), 200]):
            first = delivery_module.attempt(self.delivery.pk)
            second = delivery_module.attempt(self.delivery.pk)
        self.assertEqual((first.status, first.last_error), ("pending", "OSError: refused"))
        self.assertEqual((second.status, second.attempts, second.last_error), ("succeeded", 2, ""))
        self.assertIsNone(second.next_attempt_at)

    @override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        WEBHOOK_RETRY_BASE_SECONDS=30,
    )
    def test_the_retry_is_queued_for_later_in_the_task_runner(self):
        backend = delivery_module.deliver.get_backend()
        backend.clear()
        with mock.patch.object(delivery_module, "post", return_value=500):
            delivery = delivery_module.attempt(self.delivery.pk)
        [queued] = backend.results
        self.assertEqual(queued.args, [self.delivery.pk])
        self.assertEqual(queued.task.run_after, delivery.next_attempt_at)
        self.assertAlmostEqual(
            (queued.task.run_after - delivery.last_attempt_at).total_seconds(), 30, delta=2
        )


class SafetyTests(WebhookTestCase):
    @override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=False)
    def test_private_and_loopback_addresses_are_refused_in_production(self):
        for url in (
            "http://127.0.0.1:8000/hook",
            "http://localhost/hook",
            "http://10.1.2.3/hook",
            "http://192.168.0.10/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/hook",
            "ftp://example.org/hook",
        ):
            with self.subTest(url=url), self.assertRaises(ValidationError) as caught:
                WebhookSubscriber(name="x", url=url).full_clean()
            self.assertIn("url", caught.exception.message_dict)
        public = [(2, 1, 6, "", ("93.184.215.14", 443))]
        with mock.patch("socket.getaddrinfo", return_value=public):
            WebhookSubscriber(name="x", url="https://district.example/hook").full_clean()

    @override_settings(WEBHOOK_ALLOW_PRIVATE_URLS=False)
    def test_a_delivery_to_a_private_address_is_not_sent(self):
        with Receiver() as receiver:
            subscriber = self.subscribe(receiver.url)  # saved while allowed, or DNS changed
            delivery = WebhookDelivery.objects.create(
                subscriber=subscriber, message_id="msg_2", event_type="x", body="{}"
            )
            delivery = delivery_module.attempt(delivery.pk)
        self.assertEqual(receiver.requests, [])
        self.assertIn("127.0.0.1", delivery.last_error)

    def test_a_redirect_is_a_failure_not_followed(self):
        with Receiver(statuses=[302]) as receiver:
            subscriber = self.subscribe(receiver.url)
            delivery = WebhookDelivery.objects.create(
                subscriber=subscriber, message_id="msg_3", event_type="x", body="{}"
            )
            delivery = delivery_module.attempt(delivery.pk)
        self.assertEqual(len(receiver.requests), 1)
        self.assertEqual((delivery.status, delivery.response_status), ("pending", 302))

    def test_a_malformed_secret_is_refused(self):
        for secret in ("plain", "whsec_not*base64", "whsec_" + base64.b64encode(b"short").decode()):
            with self.subTest(secret=secret), self.assertRaises(ValidationError) as caught:
                WebhookSubscriber(name="x", url="http://x.example/", secret=secret).full_clean()
            self.assertIn("secret", caught.exception.message_dict)


class CommandTests(TestCase):
    def call(self, *args):
        out = io.StringIO()
        call_command("webhooks", *args, stdout=out)
        return out.getvalue()

    def test_add_list_remove(self):
        secret = signing.new_secret()
        out = self.call(
            "add",
            "--url",
            "http://district.example/hook",
            "--secret",
            secret,
            "--resource",
            "meetings",
            "--language",
            "uk",
        )
        subscriber = WebhookSubscriber.objects.get()
        self.assertIn(f"Added subscriber {subscriber.pk}", out)
        self.assertNotIn(secret, out)
        self.assertEqual((subscriber.resources, subscriber.languages), (["meetings"], ["uk"]))
        listing = self.call("list")
        self.assertIn("resources=meetings", listing)
        self.assertIn("languages=uk", listing)
        self.call("remove", str(subscriber.pk))
        self.assertFalse(WebhookSubscriber.objects.exists())

    def test_add_generates_and_prints_a_secret(self):
        out = self.call("add", "--url", "http://district.example/hook")
        secret = WebhookSubscriber.objects.get().secret
        self.assertIn(secret, out)
        signing.secret_bytes(secret)

    def test_bad_input_is_an_error_and_stores_nothing(self):
        for args in (
            ["add", "--url", "not a url"],
            ["add", "--url", "http://x.example/", "--secret", "nope"],
            ["add", "--url", "http://x.example/", "--language", "xx"],
            ["remove", "999"],
        ):
            with self.subTest(args=args), self.assertRaises(CommandError):
                self.call(*args)
        self.assertFalse(WebhookSubscriber.objects.exists())


class AdminTests(WebhookTestCase):
    def setUp(self):
        self.subscriber = self.subscribe("http://district.example/hook")
        self.failed = WebhookDelivery.objects.create(
            subscriber=self.subscriber,
            message_id="msg_f",
            event_type="content.published",
            body="{}",
            status="failed",
            attempts=8,
            last_error="HTTP 500",
        )
        self.editor = User.objects.create_user("editor", password="x")
        self.editor.groups.add(Group.objects.get_or_create(name="Editors-test")[0])
        self.editor.user_permissions.add(Permission.objects.get(codename="access_admin"))

    def grant(self):
        self.editor.user_permissions.add(
            Permission.objects.get(codename="change_webhooksubscriber"),
            Permission.objects.get(codename="add_webhooksubscriber"),
        )

    def test_without_the_permission_nothing_is_shown_or_replayed(self):
        self.client.force_login(self.editor)
        log = f"/admin/webhooks/{self.subscriber.pk}/deliveries/"
        self.assertNotEqual(self.client.get("/admin/webhooks/").status_code, 200)
        # Wagtail's admin answers PermissionDenied by a redirect to the dashboard.
        self.assertRedirects(self.client.get(log), "/admin/")
        response = self.client.post(f"/admin/webhooks/deliveries/{self.failed.pk}/replay/")
        self.assertRedirects(response, "/admin/")
        self.failed.refresh_from_db()
        self.assertEqual(self.failed.status, "failed")

    def test_log_shows_failures_and_replay_sends_again(self):
        self.grant()
        self.client.force_login(self.editor)
        page = self.client.get(f"/admin/webhooks/{self.subscriber.pk}/deliveries/")
        self.assertContains(page, "HTTP 500")
        self.assertContains(page, f"/admin/webhooks/deliveries/{self.failed.pk}/replay/")
        replay = f"/admin/webhooks/deliveries/{self.failed.pk}/replay/"
        with (
            mock.patch.object(delivery_module, "post", return_value=200) as post,
            self.captureOnCommitCallbacks(execute=True),
        ):
            response = self.client.post(replay)
        self.assertEqual(response.status_code, 302)
        post.assert_called_once()
        self.failed.refresh_from_db()
        self.assertEqual((self.failed.status, self.failed.attempts), ("succeeded", 1))

    def test_admin_form_refuses_a_bad_secret_and_saves_choices(self):
        self.grant()
        self.client.force_login(self.editor)
        data = {
            "name": "Praha 3",
            "url": "http://district.example/hook",
            "secret": "not-a-secret",
            "resources": ["meetings", "platforms"],
            "languages": ["uk"],
            "active": "on",
        }
        response = self.client.post("/admin/webhooks/new/", data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(WebhookSubscriber.objects.count(), 1)
        data["secret"] = signing.new_secret()
        response = self.client.post("/admin/webhooks/new/", data)
        self.assertEqual(response.status_code, 302)
        created = WebhookSubscriber.objects.get(name="Praha 3")
        self.assertEqual(
            (created.resources, created.languages), (["meetings", "platforms"], ["uk"])
        )

    def test_delivery_log_lists_only_recent_with_constant_queries(self):
        self.grant()
        self.client.force_login(self.editor)
        url = f"/admin/webhooks/{self.subscriber.pk}/deliveries/"
        self.client.get(url)
        with self.assertNumQueries(self._count(url)):
            WebhookDelivery.objects.bulk_create(
                WebhookDelivery(
                    subscriber=self.subscriber, message_id=f"m{i}", event_type="x", body="{}"
                )
                for i in range(10)
            )
            self.client.get(url)

    def _count(self, url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            self.client.get(url)
        return len(queries) + 1  # + the bulk insert
