-- Create index "statcount_totals" to table: "stat_counts"
CREATE INDEX `statcount_totals` ON `stat_counts` (`level`, `metric`, `node_path`, `day`) WHERE category = '*';
