import ProformaCore

