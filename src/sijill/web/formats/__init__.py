"""Django format modules of our own (settings.FORMAT_MODULE_PATH), where Django's own do not
write dates as Moroccan administration does. A language without a module here keeps
Django's."""
