-- Sylius (Symfony/Doctrine Migrations) on MySQL, reconstructed by hand for the held-out request
-- corpus. A composite of the tables as they stood just before the CoreBundle/Migrations/
-- Version*.php files the requests come from (Sylius/Sylius, 2017-2023); only the columns the
-- requests need, plus keys. No request depends on another one having run.

CREATE TABLE sylius_channel (
  id INT AUTO_INCREMENT NOT NULL,
  code VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  hostname VARCHAR(255) DEFAULT NULL,
  enabled TINYINT(1) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME DEFAULT NULL,
  UNIQUE INDEX UNIQ_16C8119E77153098 (code),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_taxon (
  id INT AUTO_INCREMENT NOT NULL,
  tree_root INT DEFAULT NULL,
  parent_id INT DEFAULT NULL,
  code VARCHAR(255) NOT NULL,
  tree_left INT NOT NULL,
  tree_right INT NOT NULL,
  tree_level INT NOT NULL,
  position INT NOT NULL,
  UNIQUE INDEX UNIQ_CFD811CA77153098 (code),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_customer (
  id INT AUTO_INCREMENT NOT NULL,
  email VARCHAR(255) NOT NULL,
  email_canonical VARCHAR(255) NOT NULL,
  first_name VARCHAR(255) DEFAULT NULL,
  last_name VARCHAR(255) DEFAULT NULL,
  created_at DATETIME NOT NULL,
  UNIQUE INDEX UNIQ_7E82D5E6E7927C74 (email),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_shop_user (
  id INT AUTO_INCREMENT NOT NULL,
  customer_id INT NOT NULL,
  username VARCHAR(255) DEFAULT NULL,
  enabled TINYINT(1) NOT NULL,
  salt VARCHAR(255) NOT NULL,
  password VARCHAR(255) NOT NULL,
  password_reset_token VARCHAR(255) DEFAULT NULL,
  email_verification_token VARCHAR(255) DEFAULT NULL,
  UNIQUE INDEX UNIQ_7C2B74809395C3F3 (customer_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_7C2B74809395C3F3 FOREIGN KEY (customer_id) REFERENCES sylius_customer (id) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_admin_user (
  id INT AUTO_INCREMENT NOT NULL,
  username VARCHAR(255) DEFAULT NULL,
  enabled TINYINT(1) NOT NULL,
  salt VARCHAR(255) NOT NULL,
  password VARCHAR(255) NOT NULL,
  email VARCHAR(255) DEFAULT NULL,
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_user_oauth (
  id INT AUTO_INCREMENT NOT NULL,
  user_id INT DEFAULT NULL,
  provider VARCHAR(255) NOT NULL,
  identifier VARCHAR(255) NOT NULL,
  access_token VARCHAR(255) DEFAULT NULL,
  refresh_token VARCHAR(255) DEFAULT NULL,
  INDEX IDX_C3471B78A76ED395 (user_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_C3471B78A76ED395 FOREIGN KEY (user_id) REFERENCES sylius_shop_user (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_gateway_config (
  id INT AUTO_INCREMENT NOT NULL,
  gateway_name VARCHAR(255) NOT NULL,
  factory_name VARCHAR(255) NOT NULL,
  config LONGTEXT NOT NULL,
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_payment_method (
  id INT AUTO_INCREMENT NOT NULL,
  code VARCHAR(255) NOT NULL,
  environment VARCHAR(255) DEFAULT NULL,
  is_enabled TINYINT(1) NOT NULL,
  position INT NOT NULL,
  gateway VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME DEFAULT NULL,
  UNIQUE INDEX UNIQ_A75B0B0D77153098 (code),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_product (
  id INT AUTO_INCREMENT NOT NULL,
  main_taxon_id INT DEFAULT NULL,
  code VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME DEFAULT NULL,
  enabled TINYINT(1) NOT NULL,
  available_on DATETIME DEFAULT NULL,
  available_until DATETIME DEFAULT NULL,
  variant_selection_method VARCHAR(255) NOT NULL,
  UNIQUE INDEX UNIQ_677B9B7477153098 (code),
  INDEX IDX_677B9B74731E505 (main_taxon_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_677B9B74731E505 FOREIGN KEY (main_taxon_id) REFERENCES sylius_taxon (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_product_variant (
  id INT AUTO_INCREMENT NOT NULL,
  product_id INT NOT NULL,
  code VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME DEFAULT NULL,
  position INT NOT NULL,
  on_hold INT NOT NULL,
  on_hand INT NOT NULL,
  tracked TINYINT(1) NOT NULL,
  UNIQUE INDEX UNIQ_A29B52377153098 (code),
  INDEX IDX_A29B5234584665A (product_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_A29B5234584665A FOREIGN KEY (product_id) REFERENCES sylius_product (id) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_channel_pricing (
  id INT AUTO_INCREMENT NOT NULL,
  product_variant_id INT NOT NULL,
  channel_id INT NOT NULL,
  price INT NOT NULL,
  INDEX IDX_7801820CA80EF684 (product_variant_id),
  INDEX IDX_7801820C72F5A1AA (channel_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_7801820CA80EF684 FOREIGN KEY (product_variant_id) REFERENCES sylius_product_variant (id) ON DELETE CASCADE,
  CONSTRAINT FK_7801820C72F5A1AA FOREIGN KEY (channel_id) REFERENCES sylius_channel (id) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_product_taxon (
  id INT AUTO_INCREMENT NOT NULL,
  product_id INT NOT NULL,
  taxon_id INT NOT NULL,
  position INT NOT NULL,
  INDEX IDX_169C6CD94584665A (product_id),
  INDEX IDX_169C6CD9DE13F470 (taxon_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_169C6CD94584665A FOREIGN KEY (product_id) REFERENCES sylius_product (id) ON DELETE CASCADE,
  CONSTRAINT FK_169C6CD9DE13F470 FOREIGN KEY (taxon_id) REFERENCES sylius_taxon (id) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_product_attribute_value (
  id INT AUTO_INCREMENT NOT NULL,
  product_id INT NOT NULL,
  attribute_id INT NOT NULL,
  locale_code VARCHAR(255) NOT NULL,
  text_value LONGTEXT DEFAULT NULL,
  boolean_value TINYINT(1) DEFAULT NULL,
  integer_value INT DEFAULT NULL,
  float_value DOUBLE PRECISION DEFAULT NULL,
  datetime_value DATETIME DEFAULT NULL,
  date_value DATE DEFAULT NULL,
  INDEX IDX_8A053E544584665A (product_id),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_product_review (
  id INT AUTO_INCREMENT NOT NULL,
  product_id INT NOT NULL,
  author_id INT DEFAULT NULL,
  title VARCHAR(255) NOT NULL,
  rating INT NOT NULL,
  comment LONGTEXT DEFAULT NULL,
  status VARCHAR(255) NOT NULL,
  created_at DATETIME NOT NULL,
  INDEX IDX_C7056A994584665A (product_id),
  INDEX IDX_C7056A99F675F31B (author_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_C7056A994584665A FOREIGN KEY (product_id) REFERENCES sylius_product (id) ON DELETE CASCADE,
  CONSTRAINT FK_C7056A99F675F31B FOREIGN KEY (author_id) REFERENCES sylius_customer (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_product_image (
  id INT AUTO_INCREMENT NOT NULL,
  owner_id INT NOT NULL,
  code VARCHAR(255) DEFAULT NULL,
  path VARCHAR(255) NOT NULL,
  INDEX IDX_88C64B2D7E3C61F9 (owner_id),
  INDEX product_image_code_idx (owner_id, code),
  PRIMARY KEY (id),
  CONSTRAINT FK_88C64B2D7E3C61F9 FOREIGN KEY (owner_id) REFERENCES sylius_product (id) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_taxon_image (
  id INT AUTO_INCREMENT NOT NULL,
  owner_id INT NOT NULL,
  code VARCHAR(255) DEFAULT NULL,
  path VARCHAR(255) NOT NULL,
  INDEX IDX_DBE52B287E3C61F9 (owner_id),
  INDEX taxon_image_code_idx (owner_id, code),
  PRIMARY KEY (id),
  CONSTRAINT FK_DBE52B287E3C61F9 FOREIGN KEY (owner_id) REFERENCES sylius_taxon (id) ON DELETE CASCADE
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_exchange_rate (
  id INT AUTO_INCREMENT NOT NULL,
  source_currency INT NOT NULL,
  target_currency INT NOT NULL,
  ratio NUMERIC(10, 5) NOT NULL,
  INDEX IDX_5F52B852A76BEED (source_currency),
  INDEX IDX_5F52B85B3FD5856 (target_currency),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_order_sequence (
  id INT AUTO_INCREMENT NOT NULL,
  idx INT NOT NULL,
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_order (
  id INT AUTO_INCREMENT NOT NULL,
  channel_id INT DEFAULT NULL,
  customer_id INT DEFAULT NULL,
  number VARCHAR(255) DEFAULT NULL,
  notes VARCHAR(1000) DEFAULT NULL,
  state VARCHAR(255) NOT NULL,
  checkout_completed_at DATETIME DEFAULT NULL,
  items_total INT NOT NULL,
  total INT NOT NULL,
  currency_code VARCHAR(3) NOT NULL,
  token_value VARCHAR(255) DEFAULT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME DEFAULT NULL,
  UNIQUE INDEX UNIQ_6196A1F996901F54 (number),
  INDEX IDX_6196A1F972F5A1AA (channel_id),
  INDEX IDX_6196A1F99395C3F3 (customer_id),
  PRIMARY KEY (id),
  CONSTRAINT FK_6196A1F972F5A1AA FOREIGN KEY (channel_id) REFERENCES sylius_channel (id),
  CONSTRAINT FK_6196A1F99395C3F3 FOREIGN KEY (customer_id) REFERENCES sylius_customer (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_promotion_coupon (
  id INT AUTO_INCREMENT NOT NULL,
  promotion_id INT DEFAULT NULL,
  code VARCHAR(255) NOT NULL,
  usage_limit INT DEFAULT NULL,
  used INT NOT NULL,
  expires_at DATETIME DEFAULT NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME DEFAULT NULL,
  per_customer_usage_limit INT DEFAULT NULL,
  UNIQUE INDEX UNIQ_B04EBA8577153098 (code),
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;

CREATE TABLE sylius_address_log_entries (
  id INT AUTO_INCREMENT NOT NULL,
  action VARCHAR(255) NOT NULL,
  loggedat DATETIME NOT NULL,
  objectid VARCHAR(64) DEFAULT NULL,
  objectclass VARCHAR(255) NOT NULL,
  version INT NOT NULL,
  data LONGTEXT DEFAULT NULL,
  username VARCHAR(255) DEFAULT NULL,
  PRIMARY KEY (id)
) DEFAULT CHARACTER SET utf8 COLLATE utf8_unicode_ci ENGINE = InnoDB;
