"""Interoperation with the tax bureau's e-invoice service platform (电子发票服务平台), without an API.

salesops prepares invoices and records them; the company issues them on the platform itself. Two
files cross the gap:

- out: approved invoice requests as the platform's batch-issue workbook (批量开票 template,
  ``export``), which finance uploads to the platform;
- back: the invoices the platform issued, as its per-invoice XML files (``xmlimport``) or its
  全量发票查询 workbook (``sheetimport``), matched to their requests (``matching``) and recorded
  through ``services.invoice_record``, one transaction per invoice (``importing``).

Every value the platform reads or writes is parsed here, never in a view.
"""
