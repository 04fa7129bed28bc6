from pathlib import Path

from django.core.management.base import CommandError

from caseaudit.accounts.management.commands._base import ProvisioningCommand
from caseaudit.questionnaires.services import version_spec
from caseaudit.questionnaires.templatefile import dump_template


class Command(ProvisioningCommand):
    help = (
        "Export a version of an audit template as a YAML or JSON template file (the format "
        "import_template reads), to standard output or a file."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # --version here is the template's version: it replaces Django's "--version" option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--partnership", required=True, metavar="SLUG")
        parser.add_argument("--template", required=True, metavar="NAME")
        parser.add_argument("--version", type=int, metavar="N", help="Default: the latest")
        parser.add_argument(
            "--format",
            choices=["yaml", "json"],
            help="Default: json for an --output ending .json, otherwise yaml",
        )
        parser.add_argument("--output", metavar="PATH", help="Default: standard output")

    def handle(self, *args, **options):
        partnership = self.partnership(options["partnership"])
        name = options["template"]
        templates = partnership.templates.all()
        template = (
            templates.filter(name=name).first() or templates.filter(name__iexact=name).first()
        )
        if template is None:
            known = ", ".join(templates.values_list("name", flat=True)) or "none yet"
            raise CommandError(
                f"No template called '{name}' in {partnership.slug} (known: {known})"
            )
        if options["version"] is None:
            version = template.latest_version()
            if version is None:
                raise CommandError(f"{template.name} has no versions yet")
        else:
            version = template.versions.filter(number=options["version"]).first()
            if version is None:
                numbers = ", ".join(
                    str(n) for n in template.versions.values_list("number", flat=True)
                )
                raise CommandError(
                    f"{template.name} has no version {options['version']} "
                    f"(versions: {numbers or 'none yet'})"
                )
        output = options["output"]
        file_format = options["format"] or (
            "json" if output and output.lower().endswith(".json") else "yaml"
        )
        content = dump_template(version_spec(version), file_format)
        if not output:
            self.stdout.write(content, ending="")
            return
        Path(output).write_text(content, encoding="utf-8")
        self.stdout.write(f"Exported {template.name}, version {version.number} to {output}")
