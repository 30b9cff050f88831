from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "safepassage.followup"
