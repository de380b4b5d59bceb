"""`manage.py webhooks add|list|remove`: webhook subscribers from the command line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from home.localization import content_languages
from syndication.models import RESOURCES, WebhookSubscriber
from syndication.webhooks.signing import new_secret


class Command(BaseCommand):
    help = "Add, list or remove webhook subscribers (see docs/api.md, Webhooks)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="Register a subscriber; prints its id and secret.")
        add.add_argument("--url", required=True)
        add.add_argument("--secret", help="whsec_ + base64 (default: a new random one)")
        add.add_argument("--name", help="default: the URL")
        add.add_argument(
            "--resource",
            action="append",
            default=[],
            choices=[value for value, _ in RESOURCES],
            help="only events about this resource (repeatable; default: all)",
        )
        add.add_argument(
            "--language",
            action="append",
            default=[],
            help="only events in this language (repeatable; default: all)",
        )
        commands.add_parser("list", help="List subscribers with their delivery counts.")
        remove = commands.add_parser("remove", help="Remove a subscriber and its log.")
        remove.add_argument("id", type=int)

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_add(self, url, secret, name, resource, language, **options):
        unknown = sorted(set(language) - set(content_languages()))
        if unknown:
            raise CommandError(f"Unknown language(s): {', '.join(unknown)}")
        subscriber = WebhookSubscriber(
            name=name or url,
            url=url,
            secret=secret or new_secret(),
            resources=sorted(set(resource)),
            languages=sorted(set(language)),
        )
        try:
            subscriber.full_clean()
        except ValidationError as exc:
            problems = exc.message_dict.items()
            raise CommandError(
                "; ".join(f"{field}: {' '.join(errors)}" for field, errors in problems)
            ) from None
        subscriber.save()
        self.stdout.write(f"Added subscriber {subscriber.pk}: {subscriber.url}")
        if not secret:
            self.stdout.write(f"Secret: {subscriber.secret}")

    def handle_list(self, **options):
        subscribers = WebhookSubscriber.objects.all()
        if not subscribers:
            self.stdout.write("No subscribers.")
        for s in subscribers:
            failed = s.deliveries.filter(status="failed").count()
            self.stdout.write(
                f"{s.pk}\t{'active' if s.active else 'inactive'}\t{s.url}\t"
                f"resources={','.join(s.resources) or 'all'}\t"
                f"languages={','.join(s.languages) or 'all'}\t"
                f"deliveries={s.deliveries.count()} failed={failed}"
            )

    def handle_remove(self, id, **options):
        deleted, _ = WebhookSubscriber.objects.filter(pk=id).delete()
        if not deleted:
            raise CommandError(f"No subscriber with id {id}.")
        self.stdout.write(f"Removed subscriber {id}.")
