import ProformaCore
import ProformaModel
import ProformaYAML

