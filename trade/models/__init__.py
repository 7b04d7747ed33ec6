"""The export side's models: parties and China's lists, licences and their ledgers, shipments."""

from trade.models.licences import (
    Applicant,
    ApplicationDocument,
    ApplicationItem,
    ApplicationState,
    CalendarDay,
    CalendarYear,
    LedgerEntry,
    Licence,
    LicenceApplication,
    LicenceItem,
    LicenceKind,
    LicenceVersion,
)
from trade.models.parties import ListEntryRow, ListVersion, Party, PartyMatch
from trade.models.shipments import (
    OPEN_SHIPMENT_STATES,
    CheckTrigger,
    Override,
    Shipment,
    ShipmentCheck,
    ShipmentLine,
    ShipmentSource,
    ShipmentState,
)
from trade.models.uploads import TradeUpload

__all__ = [
    "OPEN_SHIPMENT_STATES",
    "CheckTrigger",
    "Applicant",
    "ApplicationDocument",
    "ApplicationItem",
    "ApplicationState",
    "CalendarDay",
    "CalendarYear",
    "LedgerEntry",
    "Licence",
    "LicenceApplication",
    "LicenceItem",
    "LicenceKind",
    "LicenceVersion",
    "ListEntryRow",
    "ListVersion",
    "Override",
    "Party",
    "PartyMatch",
    "Shipment",
    "ShipmentCheck",
    "ShipmentLine",
    "ShipmentSource",
    "ShipmentState",
    "TradeUpload",
]
