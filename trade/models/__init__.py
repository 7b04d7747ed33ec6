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
    Override,
    Shipment,
    ShipmentCheck,
    ShipmentLine,
    ShipmentState,
)
from trade.models.uploads import TradeUpload

__all__ = [
    "OPEN_SHIPMENT_STATES",
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
    "ShipmentState",
    "TradeUpload",
]
