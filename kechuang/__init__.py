"""kechuang (科创): the district S&T bureau's innovation service and management platform."""
