import ProformaCore
import ProformaLoader
import ProformaModel

