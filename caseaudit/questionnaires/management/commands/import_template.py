from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from caseaudit.accesslog.models import Action
from caseaudit.accesslog.services import access_event_record
from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.questionnaires import library
from caseaudit.questionnaires.services import template_create
from caseaudit.questionnaires.templatefile import TemplateFileError, load_template_file


class Command(ProvisioningCommand):
    help = (
        "Import an audit template from a YAML or JSON template file, or from the starter "
        "library. A template with the same name gets a new version. The whole file is checked "
        "first: on any problem nothing is stored and the command exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("file", nargs="?", metavar="FILE", help="A .yaml, .yml or .json file")
        source.add_argument(
            "--library",
            metavar="SLUG",
            help=f"A starter template ({', '.join(library.SLUGS)}), or all of them with 'all'",
        )

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        if options["library"]:
            imports = [
                (library.load(slug), library.source_of(slug))
                for slug in self._library_slugs(options["library"])
            ]
        else:
            imports = [self._read(options["file"])]
        with transaction.atomic():
            for spec, source in imports:
                template, version = template_create(
                    partnership=partnership, spec=spec, source=source
                )
                access_event_record(
                    action=Action.TEMPLATE_IMPORTED,
                    actor="caseaudit import_template",
                    partnership=partnership,
                    obj=version,
                    detail=f"from {source}",
                )
                questions = sum(len(section["questions"]) for section in spec["sections"])
                self.stdout.write(
                    f"Imported {template.name}, version {version.number} "
                    f"({len(spec['sections'])} sections, {questions} questions)"
                )

    @staticmethod
    def _library_slugs(slug: str) -> tuple[str, ...]:
        if slug == "all":
            return library.SLUGS
        if slug not in library.SLUGS:
            raise CommandError(
                f"No starter template called '{slug}' (known: {', '.join(library.SLUGS)}, all)"
            )
        return (slug,)

    @staticmethod
    def _read(file: str) -> tuple[dict, str]:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}")
        try:
            spec = load_template_file(path)
        except TemplateFileError as error:
            raise CommandError(f"{file}: {error}") from error
        return spec, path.name
