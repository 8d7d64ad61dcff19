DROP TABLE relays;
