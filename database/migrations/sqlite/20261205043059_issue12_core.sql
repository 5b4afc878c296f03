-- Create "stat_counts" table
CREATE TABLE `stat_counts` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `node_path` text NOT NULL, `level` text NOT NULL, `metric` text NOT NULL, `category` text NOT NULL DEFAULT (''), `sector` text NOT NULL DEFAULT (''), `method` text NOT NULL DEFAULT (''), `decision` text NOT NULL DEFAULT (''), `colour` text NOT NULL DEFAULT (''), `detail` text NOT NULL DEFAULT (''), `value` integer NOT NULL);
-- Set sequence for "stat_counts" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("stat_counts", 103079215104);
-- Create index "statcount_node_path_day_metric__29bb0cb38360ab88b81fad20bc147960" to table: "stat_counts"
CREATE UNIQUE INDEX `statcount_node_path_day_metric__29bb0cb38360ab88b81fad20bc147960` ON `stat_counts` (`node_path`, `day`, `metric`, `category`, `sector`, `method`, `decision`, `colour`, `detail`);
-- Create index "statcount_level_metric_node_path_day" to table: "stat_counts"
CREATE INDEX `statcount_level_metric_node_path_day` ON `stat_counts` (`level`, `metric`, `node_path`, `day`);
-- Create "stat_members" table
CREATE TABLE `stat_members` (`id` integer NOT NULL PRIMARY KEY AUTOINCREMENT, `day` text NOT NULL, `node_path` text NOT NULL, `member` text NOT NULL);
-- Set sequence for "stat_members" table
INSERT INTO sqlite_sequence (name, seq) VALUES ("stat_members", 107374182400);
-- Create index "statmember_day_node_path_member" to table: "stat_members"
CREATE UNIQUE INDEX `statmember_day_node_path_member` ON `stat_members` (`day`, `node_path`, `member`);
