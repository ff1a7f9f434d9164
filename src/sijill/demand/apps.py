from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "sijill.demand"

    def ready(self) -> None:
        # Every write of the ledger adds its difference to the tally, in its transaction.
        from sijill.demand import tally
        from sijill.intake import ledger

        ledger.written.connect(tally.on_written, dispatch_uid="sijill.demand.tally")
