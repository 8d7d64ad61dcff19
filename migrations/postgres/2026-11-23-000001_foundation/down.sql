DROP TABLE domain_blocks;
DROP TABLE received_activities;
DROP TABLE domain_health;
DROP TABLE deliveries;
DROP TABLE outgoing_activities;
DROP TABLE follows;
DROP TABLE actors;
