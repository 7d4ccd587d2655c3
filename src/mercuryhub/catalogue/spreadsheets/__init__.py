"""The catalogue as spreadsheets and documents: the column layouts of each kind of entry,
reading CSV, XLSX and JSON files, importing and submitting their rows, exporting entries in the
same layouts, and the DOCX publication."""
