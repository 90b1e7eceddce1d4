package enum RescaleSimModule {}
