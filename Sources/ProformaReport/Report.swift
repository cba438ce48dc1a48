import ProformaCore
import ProformaModel

