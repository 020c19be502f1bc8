-- The package's tables as views, read from the package's folder (the one holding datapackage.json).
-- file_row_number keeps the rows' order in the file: plans as published, actions as each plan lists them.
CREATE VIEW plans AS SELECT * FROM read_parquet('data/plans.parquet', file_row_number = true);
CREATE VIEW actions AS SELECT * FROM read_parquet('data/actions.parquet', file_row_number = true);
CREATE VIEW tasks AS SELECT * FROM read_parquet('data/tasks.parquet');
CREATE VIEW indicators AS SELECT * FROM read_parquet('data/indicators.parquet');
CREATE VIEW serves AS SELECT * FROM read_parquet('data/serves.parquet');
CREATE VIEW national_items AS SELECT * FROM read_parquet('data/national_items.parquet');
