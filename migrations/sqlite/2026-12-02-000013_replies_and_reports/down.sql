DROP TABLE reports;
DROP TABLE hidden_replies;
