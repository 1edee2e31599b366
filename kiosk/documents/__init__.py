"""Printed documents (receipts, slips, the A4 policy guide) as PDF bytes, Qt-free.

Data in (:mod:`kiosk.documents.model`), PDF out (:func:`render`), 1-bit printer raster from
a PDF (:mod:`kiosk.documents.raster`).
"""

from kiosk.documents.model import (
    ApplicationReceipt,
    CallbackSlip,
    Document,
    JobSlip,
    PolicyGuide,
    PrinterTestPage,
    RegistrationSlip,
    SignupSlip,
    Station,
    VisitSlip,
)
from kiosk.documents.privacy import PrivacyError
from kiosk.documents.receipts import qr_url, render

__all__ = [
    "ApplicationReceipt",
    "CallbackSlip",
    "Document",
    "JobSlip",
    "PolicyGuide",
    "PrinterTestPage",
    "PrivacyError",
    "RegistrationSlip",
    "SignupSlip",
    "Station",
    "VisitSlip",
    "qr_url",
    "render",
]
