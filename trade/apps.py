from django.apps import AppConfig


class TradeConfig(AppConfig):
    name = "trade"
    verbose_name = "Parties and lists"
    default_auto_field = "django.db.models.BigAutoField"
