# Active Record migrations written by migsmith, driven from stdin: each line is a JSON list
# ["migrate", VERSION]; answers MIGSMITH-OK or MIGSMITH-ERROR.
# ARGV: the connection config (JSON), the migrations folder.
require "json"
require "active_record"

ActiveRecord::Base.establish_connection(JSON.parse(ARGV[0]))
ActiveRecord::Migration.verbose = true
paths = [ARGV[1]]

def context(paths)
  if ActiveRecord::MigrationContext.instance_method(:initialize).arity == 1
    ActiveRecord::MigrationContext.new(paths)
  else
    ActiveRecord::MigrationContext.new(paths, ActiveRecord::SchemaMigration)
  end
end

STDOUT.sync = true
STDIN.each_line do |line|
  _command, version = JSON.parse(line)
  begin
    context(paths).migrate(version.to_i)
    puts "MIGSMITH-OK"
  rescue StandardError => e
    puts "#{e.class}: #{e.message}"
    puts "MIGSMITH-ERROR"
  ensure
    ActiveRecord::Base.connection_pool.disconnect!
  end
end
