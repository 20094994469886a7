from portal.validators import PdfFile

MAX_DOCUMENT_MB = 10
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024
# What one project form may carry in all (its several documents): the reverse proxy's cap too.
PROJECT_UPLOADS_MAX_MB = 20
MAX_DOCUMENTS_PER_PROJECT = 20

# Business plans, quotes and opportunity studies: the project pages' and the services' one check.
project_pdf = PdfFile(max_mb=MAX_DOCUMENT_MB)
