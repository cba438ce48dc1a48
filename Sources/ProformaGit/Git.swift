import CGit2
import ProformaCore

