import CZlib
import ProformaCore

