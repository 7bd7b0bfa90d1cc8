public enum Registry {}
