"""What pages hand over as files or print: PDFs, CSV and XLSX tables, counts as people read."""
