from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "caseaudit.moderation"
    label = "moderation"
    verbose_name = "Meeting, grades, moderation and engagement"
