from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "caseaudit.documents"
    label = "documents"
    verbose_name = "Documents: one model, HTML, DOCX and PDF"
