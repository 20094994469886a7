from portal.validators import PdfFile

MAX_DOCUMENT_MB = 10
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024
MAX_DOCUMENTS_PER_PROJECT = 20

# Business plans, quotes and opportunity studies: the project pages' and the services' one check.
project_pdf = PdfFile(max_mb=MAX_DOCUMENT_MB)
